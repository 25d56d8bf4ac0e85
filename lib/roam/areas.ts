import type { Translate } from '@/lib/i18n/translate';

/**
 * Areas: the country-level groups of regions that the roaming guide's limit is about (docs/sag-api.md,
 * "Areas, not regions"). The console refuses a roam between two instances of one area; the API's own example
 * does one, so sag-roam only warns. No directive: the form may name areas too.
 *
 * The table is the one place to change when Alibaba Cloud groups regions differently: the first row whose
 * pattern matches a region decides (Hong Kong is listed before the rest of `cn-*` for that reason). A region
 * no row matches has no known area, and no same-area warning is given for it: sag-roam cannot tell.
 */

export type AreaId =
  | 'hongKong'
  | 'mainlandChina'
  | 'singapore'
  | 'australia'
  | 'malaysia'
  | 'indonesia'
  | 'japan'
  | 'europe'
  | 'india'
  | 'northAmerica';

interface AreaRow {
  area: AreaId;
  /** A region ID, or a pattern over region IDs. */
  regions: readonly (string | RegExp)[];
}

export const AREA_TABLE: readonly AreaRow[] = [
  { area: 'hongKong', regions: ['cn-hongkong'] },
  // cn-shanghai, cn-hangzhou, cn-shanghai-finance-1 and every other mainland region.
  { area: 'mainlandChina', regions: [/^cn-/] },
  { area: 'singapore', regions: ['ap-southeast-1'] },
  { area: 'australia', regions: ['ap-southeast-2'] },
  { area: 'malaysia', regions: ['ap-southeast-3'] },
  { area: 'indonesia', regions: ['ap-southeast-5'] },
  { area: 'japan', regions: ['ap-northeast-1'] },
  // The Cloud Connect Network introduction names Frankfurt only; add other European regions here when known.
  { area: 'europe', regions: ['eu-central-1'] },
  { area: 'india', regions: ['ap-south-1'] },
  { area: 'northAmerica', regions: [/^us-/] },
];

/** The area of a region, or null when the table does not know it. */
export function areaOf(regionId: string): AreaId | null {
  for (const row of AREA_TABLE) {
    const matches = row.regions.some((pattern) =>
      typeof pattern === 'string' ? pattern === regionId : pattern.test(regionId),
    );
    if (matches) return row.area;
  }
  return null;
}

/** Whether two regions are in one known area; false when either area is unknown. */
export function sameArea(left: string, right: string): boolean {
  const area = areaOf(left);
  return area !== null && area === areaOf(right);
}

/** The area's name in the reader's language, or "area not known" for a region outside the table. */
export function areaName(regionId: string, t: Translate): string {
  const area = areaOf(regionId);
  return area === null ? t('area.unknown') : t(`area.${area}`);
}
