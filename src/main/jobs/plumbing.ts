/** Which channel does what in a tank: shared, so Settings shows the same mapping jobs use. */
export { DEFAULT_HEADROOM_L, fillLimitOf, floorOf, resolvePlumbing, tankDrainedBy, tankFilledBy, tankOfChannel, valveRole, type ResolvedPlumbing } from '../../shared/plumbing';
