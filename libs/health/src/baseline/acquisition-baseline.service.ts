// The baseline moved to libs/network, which owns members. This re-export keeps
// health.resolver.ts and health.int-spec.ts compiling until they import it from '@tandem/network'.
export { AcquisitionBaselineService } from '@tandem/network';
