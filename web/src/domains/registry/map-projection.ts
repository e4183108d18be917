/**
 * Turns member locations into flat kilometre coordinates for a sketch map (no tiles).
 * Latitude/longitude are projected equirectangularly about the points' mean latitude (x scaled
 * by cos φ₀), which over the extent of a network (tens of km) distorts distances by well under 1%.
 * A point known only by British National Grid easting/northing is first turned into latitude and
 * longitude with the Ordnance Survey's inverse transverse Mercator formulae (OS, "A guide to
 * coordinate systems in Great Britain", annexe C), on the Airy 1830 ellipsoid. We skip the
 * OSGB36→WGS84 datum shift (≈100 m), which a map of this scale cannot show.
 */

const KM_PER_DEGREE_LAT = 110.574;
const KM_PER_DEGREE_LON_AT_EQUATOR = 111.32;

export function gridToLatLon(easting: number, northing: number): { latitude: number; longitude: number } {
  const a = 6377563.396;
  const b = 6356256.909;
  const f0 = 0.9996012717;
  const lat0 = (49 * Math.PI) / 180;
  const lon0 = (-2 * Math.PI) / 180;
  const n0 = -100000;
  const e0 = 400000;
  const e2 = 1 - (b * b) / (a * a);
  const n = (a - b) / (a + b);
  const meridional = (phi: number) => {
    const d = phi - lat0;
    const s = phi + lat0;
    return (
      b *
      f0 *
      ((1 + n + (5 / 4) * n ** 2 + (5 / 4) * n ** 3) * d -
        (3 * n + 3 * n ** 2 + (21 / 8) * n ** 3) * Math.sin(d) * Math.cos(s) +
        ((15 / 8) * n ** 2 + (15 / 8) * n ** 3) * Math.sin(2 * d) * Math.cos(2 * s) -
        (35 / 24) * n ** 3 * Math.sin(3 * d) * Math.cos(3 * s))
    );
  };
  let phi = lat0;
  let m = 0;
  do {
    phi = (northing - n0 - m) / (a * f0) + phi;
    m = meridional(phi);
  } while (Math.abs(northing - n0 - m) >= 0.00001);
  const sin = Math.sin(phi);
  const nu = (a * f0) / Math.sqrt(1 - e2 * sin * sin);
  const rho = (a * f0 * (1 - e2)) / (1 - e2 * sin * sin) ** 1.5;
  const eta2 = nu / rho - 1;
  const tan = Math.tan(phi);
  const sec = 1 / Math.cos(phi);
  const vii = tan / (2 * rho * nu);
  const viii = (tan / (24 * rho * nu ** 3)) * (5 + 3 * tan ** 2 + eta2 - 9 * tan ** 2 * eta2);
  const ix = (tan / (720 * rho * nu ** 5)) * (61 + 90 * tan ** 2 + 45 * tan ** 4);
  const x = sec / nu;
  const xi = (sec / (6 * nu ** 3)) * (nu / rho + 2 * tan ** 2);
  const xii = (sec / (120 * nu ** 5)) * (5 + 28 * tan ** 2 + 24 * tan ** 4);
  const xiia = (sec / (5040 * nu ** 7)) * (61 + 662 * tan ** 2 + 1320 * tan ** 4 + 720 * tan ** 6);
  const de = easting - e0;
  const lat = phi - vii * de ** 2 + viii * de ** 4 - ix * de ** 6;
  const lon = lon0 + x * de - xi * de ** 3 + xii * de ** 5 - xiia * de ** 7;
  return { latitude: (lat * 180) / Math.PI, longitude: (lon * 180) / Math.PI };
}

export type Locatable = { latitude: number | null; longitude: number | null; easting: number | null; northing: number | null };

export function locate(p: Locatable): { latitude: number; longitude: number } | null {
  if (p.latitude !== null && p.longitude !== null) return { latitude: p.latitude, longitude: p.longitude };
  if (p.easting !== null && p.northing !== null) return gridToLatLon(p.easting, p.northing);
  return null;
}

export type Projected<T> = { point: T; x: number; y: number };

/** Kilometres east and north of the points' centre (y grows northwards). */
export function projectKm<T extends Locatable>(points: T[]): Projected<T>[] {
  const located = points.flatMap((point) => {
    const at = locate(point);
    return at ? [{ point, ...at }] : [];
  });
  if (located.length === 0) return [];
  const meanLat = located.reduce((sum, p) => sum + p.latitude, 0) / located.length;
  const meanLon = located.reduce((sum, p) => sum + p.longitude, 0) / located.length;
  const kx = KM_PER_DEGREE_LON_AT_EQUATOR * Math.cos((meanLat * Math.PI) / 180);
  return located.map((p) => ({ point: p.point, x: (p.longitude - meanLon) * kx, y: (p.latitude - meanLat) * KM_PER_DEGREE_LAT }));
}

/** A round length (1, 2 or 5 × 10ⁿ km) no longer than `maxKm`, for the scale bar. */
export function niceDistance(maxKm: number): number {
  if (!(maxKm > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(maxKm));
  for (const step of [5, 2, 1]) if (step * power <= maxKm) return step * power;
  return power;
}

export const formatKm = (km: number) => (km >= 1 ? `${km} km` : `${Math.round(km * 1000)} m`);
