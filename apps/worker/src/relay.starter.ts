import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { OutboxRelayService } from '@tandem/jobs';

/** The worker owns the outbox relay; the API only writes to the outbox. */
@Injectable()
export class RelayStarter implements OnApplicationBootstrap {
  constructor(private readonly relay: OutboxRelayService) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }
}
