/** Sum of every sample of a Prometheus metric (all label sets) on a /metrics page; 0 when absent. */
export function sumMetric(text: string, name: string): number {
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm');
  let sum = 0;
  for (const m of text.matchAll(re)) sum += Number(m[1]);
  return sum;
}

export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

export async function metricOf(url: string, name: string): Promise<number> {
  return sumMetric(await scrape(url), name);
}
