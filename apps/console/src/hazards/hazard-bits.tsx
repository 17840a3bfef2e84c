// Small pieces the hazard pages share: the status pill, the download of an export.
import type { Hazard } from '../api/api.types';
import type { HttpClient, Query } from '../api/http.client';
import { HAZARD_STATUS_LABEL } from '../shared/labels';

export function StatusPill({ hazard }: { hazard: Pick<Hazard, 'status' | 'overdue'> }) {
  return (
    <>
      <span class={`pill hz-${hazard.status}`} data-status={hazard.status}>
        {HAZARD_STATUS_LABEL[hazard.status]}
      </span>
      {hazard.overdue && (
        <span class="pill hz-overdue" data-overdue="true">
          已逾期
        </span>
      )}
    </>
  );
}

/** Downloads a file the API answers (with the bearer token) under the given name. */
export async function saveDownload(http: HttpClient, path: string, query: Query, name: string): Promise<void> {
  const file = await http.blob(path, query);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(file);
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

/** `/api/v1/…` photo URLs need the bearer token: fetched as blobs, shown as object URLs. */
export async function photoObjectUrl(http: HttpClient, url: string): Promise<string> {
  const blob = await http.blob(url.replace(/^\/api\/v1/, ''));
  return URL.createObjectURL(blob);
}
