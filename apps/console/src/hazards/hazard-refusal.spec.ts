import { ApiError } from '../api/http.client';
import { refusalText } from './hazard-refusal';

describe('refusals in Chinese', () => {
  it('translates the API codes', () => {
    expect(refusalText(new ApiError(409, 'sign-off must be by someone other than the user who confirmed the hazard', 'same_confirmer'))).toBe('销号须由确认该隐患以外的监管人员办理');
    expect(refusalText(new ApiError(409, 'cannot confirm a hazard that is confirmed', 'invalid_state'))).toContain('当前状态不允许');
    expect(refusalText(new ApiError(404, 'hazard x not found', 'not_found'))).toContain('未找到');
  });

  it('translates known 400 reasons, validation paths included', () => {
    expect(refusalText(new ApiError(400, 'the deadline must lie in the future', 'invalid_input'))).toBe('整改期限须晚于当前时间');
    expect(refusalText(new ApiError(400, 'reason: Too small: expected string to have >=1 characters'))).toBe('请填写理由');
    expect(refusalText(new ApiError(400, 'something new'))).toBe('填写的内容不符合要求，请检查后重试');
    expect(refusalText(new ApiError(400, '只接受 JPEG、PNG 或 WebP 照片：a.pdf'))).toBe('只接受 JPEG、PNG 或 WebP 照片：a.pdf');
  });

  it('falls back by status, never showing English', () => {
    expect(refusalText(new ApiError(413, 'File too large'))).toContain('5 MB');
    expect(refusalText(new ApiError(500, 'Internal server error'))).toBe('服务器错误（500）');
  });
});
