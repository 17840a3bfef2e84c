import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody, HttpErrorFilter } from '@sw/http-edge';
import { MAX_REPORT_PHOTOS } from './public-reports.service';

// multer's limit messages (as Nest's FilesInterceptor passes them on) → what a reporter can act on
const CLEAR: Record<string, { message: string; code: string }> = {
  'File too large': { message: '每张照片不能超过 5 MB (each photo at most 5 MB)', code: 'file_too_large' },
  'Too many files': { message: `最多上传 ${MAX_REPORT_PHOTOS} 张照片 (at most ${MAX_REPORT_PHOTOS} photos)`, code: 'too_many_photos' },
  'Unexpected field': { message: '照片字段应为 photos (files go in the field `photos`)', code: 'unexpected_field' },
  'Field value too long': { message: '填写的内容过长 (a field is too long)', code: 'field_too_long' },
};

/** The public form's upload refusals in plain words; everything else as the app's filter answers it. */
@Catch()
export class PublicUploadFilter implements ExceptionFilter {
  private readonly fallback = new HttpErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = errorBody(exception);
    const clear = exception instanceof HttpException && typeof body.message === 'string' ? CLEAR[body.message] : undefined;
    if (!clear) return this.fallback.catch(exception, host);
    const res = host.switchToHttp().getResponse<Response>();
    if (!res.headersSent) res.status(body.statusCode).json({ ...body, ...clear });
  }
}
