import { deepFreeze } from './deep-freeze.js';

/** Freezes a map of loaded definitions and its values; the map itself refuses `set`, `delete` and `clear`. */
export function freezeMap<K, V>(map: Map<K, V>, what: string): ReadonlyMap<K, V> {
  for (const value of map.values()) deepFreeze(value);
  const refuse = () => {
    throw new TypeError(`${what} are read-only once loaded`);
  };
  for (const method of ['set', 'delete', 'clear']) Object.defineProperty(map, method, { value: refuse });
  return Object.freeze(map);
}
