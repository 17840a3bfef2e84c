import type { HttpClient } from '../api/http.client';

/** Saves a file the api answers under its own file name. */
export async function saveDownload(http: HttpClient, path: string, query?: Record<string, string>): Promise<void> {
  const { blob, filename } = await http.download(path, query);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  URL.revokeObjectURL(a.href);
}
