import type { IncomingMessage } from 'node:http';
import { ConnectedSocket, MessageBody, type OnGatewayConnection, type OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { LiveFeedService } from './live-feed.service';
import { MAX_CLIENT_FRAME_BYTES } from './live-frames.schema';

/**
 * `GET /ws` (docs/contracts.md §5) on the API's own HTTP server, plain WebSocket through Nest's
 * WsAdapter, whose message parser (`parseClientFrame`) turns each frame into one of the events
 * below. Handlers only hand the frame to `LiveFeedService`.
 */
@WebSocketGateway({ path: '/ws', maxPayload: MAX_CLIENT_FRAME_BYTES })
export class LiveFeedSocket implements OnGatewayConnection<WebSocket>, OnGatewayDisconnect<WebSocket> {
  constructor(private readonly feed: LiveFeedService) {}

  handleConnection(socket: WebSocket, req: IncomingMessage): void {
    this.feed.open(socket, req);
  }

  handleDisconnect(socket: WebSocket): void {
    this.feed.close(socket);
  }

  @SubscribeMessage('auth')
  auth(@ConnectedSocket() socket: WebSocket, @MessageBody() frame: unknown): void {
    this.feed.handle(socket, 'auth', frame);
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: WebSocket, @MessageBody() frame: unknown): void {
    this.feed.handle(socket, 'subscribe', frame);
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: WebSocket, @MessageBody() frame: unknown): void {
    this.feed.handle(socket, 'unsubscribe', frame);
  }

  @SubscribeMessage('ping')
  ping(@ConnectedSocket() socket: WebSocket, @MessageBody() frame: unknown): void {
    this.feed.handle(socket, 'ping', frame);
  }

  @SubscribeMessage('bad_frame')
  badFrame(@ConnectedSocket() socket: WebSocket, @MessageBody() reason: unknown): void {
    this.feed.handle(socket, 'bad_frame', reason);
  }
}
