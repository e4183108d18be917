import { projectKm } from '../registry/map-projection.ts';

/**
 * The registry map's projection (map-projection.ts: kilometres east and north of the schools'
 * mean position, equirectangular, x scaled by cos φ₀), extended with its inverse and with Web
 * Mercator tile indices, so background tiles, when someone configures them, can be laid under
 * the same kilometre grid. Over one tile (≤ 1/256 of the world's width from zoom 8) the
 * difference between the two projections is well under a pixel.
 */

// The same constants as map-projection.ts (a degree of latitude; of longitude at the equator).
const KM_PER_DEGREE_LAT = 110.574;
const KM_PER_DEGREE_LON_AT_EQUATOR = 111.32;

export type GeoFrame = {
  /** x, y in km per school (NaN where it has no coordinates), in the order given. */
  km: Float64Array;
  located: number;
  meanLat: number;
  meanLon: number;
  /** km per degree of longitude at the mean latitude. */
  kx: number;
};

/** Projects schools' coordinates with the registry map's projection; keeps the order. */
export function projectSchools(schools: readonly { lat: number | null; lon: number | null }[]): GeoFrame {
  const km = new Float64Array(schools.length * 2).fill(Number.NaN);
  const projected = projectKm(schools.map((s, index) => ({ index, latitude: s.lat, longitude: s.lon, easting: null, northing: null })));
  let sumLat = 0;
  let sumLon = 0;
  for (const p of projected) {
    km[2 * p.point.index] = p.x;
    km[2 * p.point.index + 1] = p.y;
    sumLat += p.point.latitude!;
    sumLon += p.point.longitude!;
  }
  const meanLat = projected.length ? sumLat / projected.length : 0;
  const meanLon = projected.length ? sumLon / projected.length : 0;
  return { km, located: projected.length, meanLat, meanLon, kx: KM_PER_DEGREE_LON_AT_EQUATOR * Math.cos((meanLat * Math.PI) / 180) };
}

/** Kilometres → latitude and longitude (the inverse of the frame's projection). */
export const kmToLatLon = (frame: GeoFrame, x: number, y: number) => ({ lat: frame.meanLat + y / KM_PER_DEGREE_LAT, lon: frame.meanLon + x / frame.kx });

/** Latitude and longitude → kilometres in the frame. */
export const latLonToKm = (frame: GeoFrame, lat: number, lon: number) => ({ x: (lon - frame.meanLon) * frame.kx, y: (lat - frame.meanLat) * KM_PER_DEGREE_LAT });

/** Web Mercator tile column and row holding a point at zoom z (OpenStreetMap's "slippy map" scheme). */
export function tileOf(lat: number, lon: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const phi = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n),
  };
}

/** The north-west corner of tile (x, y) at zoom z. */
export function tileCorner(x: number, y: number, z: number): { lat: number; lon: number } {
  const n = 2 ** z;
  return { lon: (x / n) * 360 - 180, lat: (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI };
}

/** The tile zoom whose tiles show at about 256 pixels wide, for a map drawn at `pxPerKm`. */
export function tileZoom(frame: GeoFrame, pxPerKm: number): number {
  return Math.max(0, Math.min(19, Math.round(Math.log2((360 * frame.kx * pxPerKm) / 256))));
}
