// The place of the provincial uplink's status (lag, last success, backlog) on the 上报 page. The
// uplink (issue 16 item 3) is built separately: its console component is registered here, and
// until it is, the slot renders nothing — no placeholder figures.
import type { ComponentType } from 'preact';

/** The uplink status component; null until the uplink module provides one. */
export const UplinkStatus: ComponentType | null = null;

export function UplinkSlot() {
  return UplinkStatus ? <UplinkStatus /> : null;
}
