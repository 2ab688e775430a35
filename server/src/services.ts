import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { AccountsService } from "./modules/accounts/accounts.service.js";
import { ProjectsService } from "./modules/projects/projects.service.js";
import type { Database } from "./platform/database/index.js";
import type { Bus } from "./platform/pubsub/bus.js";
import type { Queue } from "./platform/queue/queue.js";

export interface Platform {
  config: Config;
  log: Logger;
  db: Database;
  bus: Bus;
  queue: Queue;
}

export interface Services {
  accounts: AccountsService;
  projects: ProjectsService;
}

export function createServices(p: Platform): Services {
  return {
    accounts: new AccountsService(p.db, p.config),
    projects: new ProjectsService(p.db, p.bus),
  };
}
