import { useState } from 'preact/hooks';
import { ApiError, HttpClient } from '../api/http.client';

interface Props {
  onToken(token: string): void;
}

/** POST /api/v1/auth/token → {accessToken, expiresIn} (docs/contracts.md §4). */
export function LoginPage({ onToken }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const http = new HttpClient(() => null, () => undefined);
      const res = await http.post<{ accessToken: string }>('/auth/token', { username, password });
      onToken(res.accessToken);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? '用户名或密码错误' : (err as Error).message);
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={(ev) => void submit(ev)}>
        <h1>安全风险监测预警平台</h1>
        <p class="muted">值班台 · 请登录</p>
        <label>
          用户名
          <input name="username" autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
        </label>
        <label>
          密码
          <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? '登录中…' : '登录'}
        </button>
      </form>
    </main>
  );
}
