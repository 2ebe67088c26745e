import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * networks.routing_policy and networks.settings, emptied by
 * 1796300000000-settings-per-domain, go: only libs/network writes networks now.
 * down() brings them back empty; reverting 1796300000000 then refills them.
 */
export class DropNetworkSettingsColumns1796300000001 implements MigrationInterface {
  name = 'DropNetworkSettingsColumns1796300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE networks DROP COLUMN routing_policy, DROP COLUMN settings`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE networks ADD COLUMN routing_policy jsonb NOT NULL DEFAULT '{}'::jsonb, ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }
}
