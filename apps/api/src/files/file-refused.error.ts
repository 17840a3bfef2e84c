/**
 * An uploaded file refused before its rows are read: 413 for a limit (bytes, rows, columns,
 * uncompressed size, entries, ratio), 400 for a file that is not what it claims. The `status`
 * property is what the HTTP error filter maps (as for body-parser's errors).
 */
export class FileRefusedError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = FileRefusedError.name;
  }
}
