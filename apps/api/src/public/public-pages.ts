import { findCatalogueItem, type HazardSnapshot, isOverdue } from '@sw/hazards';

/** Pages of the public module: no login, no third-party assets, scripts only from this origin. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
  *{box-sizing:border-box} body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:#1f2933;background:#f5f7fa}
  main{max-width:760px;margin:0 auto;padding:16px} h1{font-size:22px;margin:8px 0 4px} h2{font-size:18px;margin:20px 0 8px}
  .card{background:#fff;border-radius:8px;padding:16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
  label{display:block;margin:12px 0 4px;font-weight:600} input,textarea{width:100%;font:inherit;padding:10px;border:1px solid #cbd2d9;border-radius:6px}
  textarea{min-height:120px} button{font:inherit;background:#c62828;color:#fff;border:0;border-radius:6px;padding:12px 20px;width:100%;margin-top:16px}
  .hint{color:#616e7c;font-size:14px} .error{color:#b71c1c} .code{font:700 22px/1.4 monospace;letter-spacing:1px;word-break:break-all;background:#fff8e1;padding:8px;border-radius:6px}
  table{width:100%;border-collapse:collapse;background:#fff} th,td{border:1px solid #d9e2ec;padding:6px 8px;text-align:left;vertical-align:top;font-size:14px}
  th{background:#eef2f7;white-space:nowrap} td:nth-child(2),td:nth-child(4),td:nth-child(5),td:nth-child(6){white-space:nowrap} .scroll{overflow-x:auto} .status-signed_off{color:#2e7d32} .overdue{color:#b71c1c;font-weight:700} .qr{text-align:center} .qr svg{width:180px;height:180px}
`;

function page(title: string, body: string, script?: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main>${script ? `<script src="${script}"></script>` : ''}</body></html>`;
}

/** 举报 page: the form, the tracking code shown once, and a status lookup by code. */
export function reportPage(): string {
  return page(
    '安全生产隐患举报',
    `<h1>安全生产隐患举报</h1><p class="hint">无需登录，可匿名。提交后会得到一个查询码，请妥善保存，用它查看处理进度和答复。</p>
<form id="report" class="card" novalidate>
  <label for="enterpriseName">企业名称</label><input id="enterpriseName" name="enterpriseName" maxlength="100" autocomplete="off">
  <label for="address">地址（企业名称和地址至少填一项）</label><input id="address" name="address" maxlength="200" autocomplete="off">
  <label for="description">隐患情况</label><textarea id="description" name="description" maxlength="2000" required placeholder="请描述看到的隐患：位置、情况、时间"></textarea>
  <label for="phone">手机号（选填，便于核实）</label><input id="phone" name="phone" type="tel" inputmode="tel" maxlength="20" autocomplete="off">
  <label for="photos">照片（选填，最多 5 张，每张不超过 5 MB，JPEG/PNG/WebP）</label><input id="photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple>
  <p id="report-error" class="error" role="alert"></p>
  <button type="submit">提交举报</button>
</form>
<div id="filed" class="card" hidden><h2>举报已提交</h2><p>您的查询码（只显示这一次，请截图或抄下）：</p><p id="filed-code" class="code"></p></div>
<form id="track" class="card" novalidate><h2>查询处理进度</h2>
  <label for="code">查询码</label><input id="code" name="code" autocomplete="off" autocapitalize="characters">
  <button type="submit">查询</button>
  <div id="track-result" aria-live="polite"></div>
</form>`,
    '/api/v1/public/report.js',
  );
}

/** The report page's script: plain DOM, fetch to the public endpoints, text only (never innerHTML). */
export const REPORT_PAGE_SCRIPT = `(function () {
  var form = document.getElementById('report'), err = document.getElementById('report-error');
  function message(body) { return Array.isArray(body.message) ? body.message.join('；') : String(body.message || '提交失败'); }
  form.addEventListener('submit', function (e) {
    e.preventDefault(); err.textContent = '';
    var files = document.getElementById('photos').files;
    if (files.length > 5) { err.textContent = '最多上传 5 张照片'; return; }
    for (var i = 0; i < files.length; i++) if (files[i].size > 5 * 1024 * 1024) { err.textContent = '每张照片不能超过 5 MB：' + files[i].name; return; }
    var data = new FormData(form);
    ['enterpriseName', 'address', 'phone'].forEach(function (k) { if (!String(data.get(k) || '').trim()) data.delete(k); });
    if (files.length === 0) data.delete('photos');
    form.querySelector('button').disabled = true;
    fetch('/api/v1/public/reports', { method: 'POST', body: data }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) { err.textContent = message(body); return; }
        form.hidden = true;
        document.getElementById('filed-code').textContent = body.code;
        document.getElementById('filed').hidden = false;
        document.getElementById('code').value = body.code;
      });
    }).catch(function () { err.textContent = '网络错误，请稍后再试'; }).then(function () { form.querySelector('button').disabled = false; });
  });
  var track = document.getElementById('track'), out = document.getElementById('track-result');
  track.addEventListener('submit', function (e) {
    e.preventDefault(); out.textContent = '';
    var code = document.getElementById('code').value.replace(/[\\s-]/g, '');
    if (!code) return;
    fetch('/api/v1/public/reports/' + encodeURIComponent(code)).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) { out.textContent = message(body); return; }
        var p1 = document.createElement('p'); p1.className = 'track-status'; p1.textContent = '状态：' + body.statusLabel; out.appendChild(p1);
        var p2 = document.createElement('p'); p2.className = 'track-reply'; p2.textContent = '答复：' + (body.reply || '暂无'); out.appendChild(p2);
      });
    }).catch(function () { out.textContent = '网络错误，请稍后再试'; });
  });
  var fromUrl = new URLSearchParams(location.search).get('code');
  if (fromUrl) { document.getElementById('code').value = fromUrl; track.requestSubmit(); }
})();
`;

const STATUS_ZH: Record<string, string> = { confirmed: '已确认', rectifying: '整改中', submitted: '待验收', signed_off: '已销号' };

const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—');

/** 内部公示: the enterprise's posted hazards and the page's QR code (SVG, inline). */
export function postingPage(enterpriseName: string, hazards: HazardSnapshot[], qrSvg: string, now: number): string {
  const rows = hazards
    .map((h) => {
      const item = findCatalogueItem(h.article, h.item);
      const overdue = isOverdue(h, now);
      return `<tr class="hazard status-${h.status}" data-hazard-id="${escapeHtml(h.id)}">
<td>${escapeHtml(item ? `${item.label} ${item.title}` : `第${h.article}条`)}<div class="hint">${escapeHtml(h.description)}</div></td>
<td>${day(h.reportedAt)}</td><td>${escapeHtml(h.plan?.measures ?? '—')}</td><td>${day(h.plan?.deadline)}</td>
<td>${escapeHtml(STATUS_ZH[h.status] ?? h.status)}${overdue ? ' <span class="overdue">逾期</span>' : ''}</td><td>${day(h.signedOffAt)}</td></tr>`;
    })
    .join('');
  return page(
    `${enterpriseName} 重大事故隐患内部公示`,
    `<h1>${escapeHtml(enterpriseName)}</h1><p>重大事故隐患内部公示（排查、整改、销号情况）</p>
<div class="card scroll"><table><thead><tr><th>隐患（判定依据）</th><th>发现日期</th><th>整改措施</th><th>整改期限</th><th>状态</th><th>销号日期</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">目前没有重大事故隐患</td></tr>'}</tbody></table></div>
<div class="card qr">${qrSvg}<p class="hint">扫码查看本公示页</p></div>`,
  );
}
