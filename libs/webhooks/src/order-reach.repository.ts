import { EntityManager } from 'typeorm';
import { OrderStatus } from '@tandem/common';
import { selectRow } from '@tandem/persistence';

/** An order's reach fields, from routing's public read model (order_facts, libs/routing/README.md). */
export const OrderReachRepository = {
  find(
    em: EntityManager,
    networkId: string,
    orderId: string,
  ): Promise<{ networkId: string; clientId: string; supplierId: string | null; status: OrderStatus; acceptedAt: Date | null } | undefined> {
    return selectRow(
      em,
      `SELECT network_id AS "networkId", client_id AS "clientId", supplier_id AS "supplierId", status, accepted_at AS "acceptedAt"
         FROM order_facts WHERE id = $1 AND network_id = $2`,
      [orderId, networkId],
    );
  },
};
