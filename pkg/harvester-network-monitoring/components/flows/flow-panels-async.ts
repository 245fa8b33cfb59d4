import { Component, defineAsyncComponent } from 'vue';
import PanelLoadFailed from './PanelLoadFailed.vue';

/**
 * Traffic Flows' panels, in a chunk of their own: with them (and the shell's SortableTable they bring) in the
 * page's chunk, the browser ran all of that code before the page could send its first request (the scale
 * benchmark's first request started ~45 ms later). The page asks for them when it is created, so they load while its
 * requests are in flight.
 */
const loaders = {
  TalkersPanel:   () => import(/* webpackChunkName: "flow-panels" */ './TalkersPanel.vue'),
  BreakdownPanel: () => import(/* webpackChunkName: "flow-panels" */ './BreakdownPanel.vue'),
  TrafficMap:     () => import(/* webpackChunkName: "flow-panels" */ './TrafficMap.vue'),
  FlowRecords:    () => import(/* webpackChunkName: "flow-panels" */ './FlowRecords.vue'),
};

/** A panel loaded on first render; when its code does not download, a banner says so in its place. */
export const panel = (loader: () => Promise<Component | { default: Component }>) => defineAsyncComponent({ loader, errorComponent: PanelLoadFailed });

export const TalkersPanel = panel(loaders.TalkersPanel);
export const BreakdownPanel = panel(loaders.BreakdownPanel);
export const TrafficMap = panel(loaders.TrafficMap);
export const FlowRecords = panel(loaders.FlowRecords);

/** Starts loading every panel; a failed load is tried again when the panel renders, and reported there. */
export function preloadFlowPanels(): void {
  Object.values(loaders).forEach((load) => load().catch(() => undefined));
}
