import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorFilter } from './http-error.filter';

/** Import once in an app's root module: registers `HttpErrorFilter` for every route of the app. */
@Module({ providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }] })
export class HttpErrorsModule {}
