import { parseClientFrame, subscribeFrame } from './live-frames.schema';

describe(parseClientFrame.name, () => {
  it('routes known frames by their type', () => {
    expect(parseClientFrame(Buffer.from('{"type":"ping"}'))).toEqual({ event: 'ping', data: { type: 'ping' } });
    expect(parseClientFrame('{"type":"subscribe","channels":["alarms"],"since":3}').event).toBe('subscribe');
  });

  it('docs/contracts.md §5: anything else becomes bad_frame with a reason (the socket stays open)', () => {
    expect(parseClientFrame('{nope')).toEqual({ event: 'bad_frame', data: 'a frame must be JSON' });
    expect(parseClientFrame('[1,2]').event).toBe('bad_frame');
    expect(parseClientFrame('{"kind":"ping"}').event).toBe('bad_frame');
    expect(parseClientFrame('{"type":"shutdown"}')).toEqual({ event: 'bad_frame', data: 'unknown frame type "shutdown"' });
  });

  it('subscribe frames: channels, since ≥ 0, point ids', () => {
    expect(subscribeFrame.safeParse({ type: 'subscribe', channels: ['alarms'], since: 0 }).success).toBe(true);
    expect(subscribeFrame.safeParse({ type: 'subscribe', channels: [] }).success).toBe(false);
    expect(subscribeFrame.safeParse({ type: 'subscribe', channels: ['alarms'], since: -1 }).success).toBe(false);
    expect(subscribeFrame.safeParse({ type: 'subscribe', channels: ['readings'], points: ['CO-01'] }).success).toBe(false);
  });
});
