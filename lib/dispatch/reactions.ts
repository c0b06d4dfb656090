import type { Reaction } from './reaction.ts';

/** Every reaction the dispatcher runs, in order. Add a reaction here and in its own file. */
export const REACTIONS: Reaction[] = [];
