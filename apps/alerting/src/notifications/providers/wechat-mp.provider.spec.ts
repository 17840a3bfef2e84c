import { wechatMsgId } from './wechat-mp.provider';

describe(wechatMsgId.name, () => {
  const base = `hazard:${'0'.repeat(36)}:overdue:d1:district_duty_officer#320505.`;

  it('keeps a key of up to 64 characters as it is', () => {
    expect(wechatMsgId('a-1:7:principal:wechat')).toBe('a-1:7:principal:wechat');
  });

  it('two long keys that differ only past the 64th character stay distinct, within 64 characters', () => {
    const sut = [wechatMsgId(`${base}0:wechat`), wechatMsgId(`${base}1:wechat`)];
    expect(sut[0]).not.toBe(sut[1]);
    expect(sut.every((k) => k.length <= 64)).toBe(true);
    expect(`${base}0:wechat`.slice(0, 64)).toBe(`${base}1:wechat`.slice(0, 64)); // what cutting did
  });
});
