import { EntityManager } from 'typeorm';
import { notFound } from '@tandem/common';
import { NetworkEntity } from './network.entity';

/** A network, or NOT_FOUND. Other libraries read networks through this, never the table. */
export async function findNetwork(em: EntityManager, id: string): Promise<NetworkEntity> {
  const network = await em.findOneBy(NetworkEntity, { id });
  if (!network) throw notFound('Network');
  return network;
}

/** Every network's id, oldest first: for jobs that visit each network in turn. */
export async function allNetworkIds(em: EntityManager): Promise<string[]> {
  const rows = await em.find(NetworkEntity, { select: { id: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  return rows.map((n) => n.id);
}
