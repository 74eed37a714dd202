import type { McMessage, MessageOf, MessageType } from './messages.ts';

/**
 * A typed dispatch table: one handler per message type in `T`, each given the message narrowed
 * to its type. A mapped type over the union, so a table that misses a type does not compile:
 * as exhaustive as ts-pattern's `exhaustive()`. Tables live at module level and are built once;
 * ts-pattern's `match` builds its pattern objects, handler closures and argument arrays on every
 * message, which made it most of the model's run time. Per-procedure state logic off
 * the private-call path keeps ts-pattern.
 */
export type Routes<Self, T extends MessageType, Extra> = {
  readonly [K in T]: (self: Self, m: MessageOf<K>, extra: Extra) => void;
};

/** Calls the handler of `m.type`. */
export function dispatch<Self, T extends MessageType, Extra>(
  routes: Routes<Self, T, Extra>,
  self: Self,
  m: MessageOf<T>,
  extra: Extra,
): void {
  (routes[m.type as T] as (self: Self, m: McMessage, extra: Extra) => void)(self, m, extra);
}

/** As `dispatch`, for an actor that handles only some types: any other goes to `otherwise`. */
export function dispatchSome<Self, T extends MessageType, Extra>(
  routes: Routes<Self, T, Extra>,
  self: Self,
  m: McMessage,
  extra: Extra,
  otherwise: (self: Self, m: McMessage, extra: Extra) => void,
): void {
  const handle = (routes as Partial<Record<MessageType, (self: Self, m: McMessage, extra: Extra) => void>>)[m.type];
  (handle ?? otherwise)(self, m, extra);
}
