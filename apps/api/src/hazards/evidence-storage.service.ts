import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { EvidenceMime } from '@sw/hazards';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

const EXT: Record<EvidenceMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** A photo as stored: content-addressed under EVIDENCE_DIR (`ab/abcdef….jpg`), outside the database. */
export interface StoredEvidence {
  sha256: string;
  storagePath: string;
}

/** Evidence photos on disk, named by the SHA-256 of their (metadata-stripped) content. */
@Injectable()
export class EvidenceStorageService {
  private readonly root: string;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.root = isAbsolute(config.EVIDENCE_DIR) ? config.EVIDENCE_DIR : resolve(process.cwd(), config.EVIDENCE_DIR);
  }

  static hash(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  static pathOf(sha256: string, mime: EvidenceMime): string {
    return `${sha256.slice(0, 2)}/${sha256}.${EXT[mime]}`;
  }

  /** Writes the file unless the same content is already there (write to a temporary name, then rename). */
  async put(bytes: Uint8Array, mime: EvidenceMime): Promise<StoredEvidence> {
    const sha256 = EvidenceStorageService.hash(bytes);
    const storagePath = EvidenceStorageService.pathOf(sha256, mime);
    const file = join(this.root, storagePath);
    const exists = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) {
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, file);
    }
    return { sha256, storagePath };
  }

  read(storagePath: string): Promise<Buffer> {
    if (storagePath.includes('..')) throw new Error('bad storage path');
    return readFile(join(this.root, storagePath));
  }
}
