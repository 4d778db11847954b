/**
 * @module
 * The one place that lists every model of the project for a Sequelize instance, by calling
 * each domain's own `xModels(sequelize)`. The field analysis (`/api/analysis/models`),
 * `npm run db:check` and `npm run db:generate` read models from here only, so a model missing
 * from this list is neither analysed nor checked against the migrations.
 *
 * A new domain adds one entry to {@link modelDomains}.
 */
import assert from 'node:assert/strict';
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { authModels } from './auth/models.ts';
import { mfaModels } from './mfa/models.ts';
import { walletModels } from './wallet/models.ts';
import { riskAssessmentModel } from './wallet/risk-assessments.ts';
import { importPreviewModel } from './wallet/transaction-import.ts';

/** Most models the registry holds; a bound on every loop over them. */
export const registeredModelsMax = 256;

/** One registered model. */
export interface RegisteredModel {
  /** The domain that defines it: its folder under `server/`. */
  domain: string;
  /** Sequelize's name of the model, e.g. `AbWallet`; unique within an instance. */
  name: string;
  table: string;
  model: ModelStatic<Model>;
}

/** A domain and the function that defines its models on an instance. */
interface ModelDomain {
  domain: string;
  // Each domain's function returns its own model statics; only their common base is read.
  models(sequelize: Sequelize): Record<string, ModelStatic<Model>>;
}

/** Every domain with models, in the order its migrations run. */
export const modelDomains: readonly ModelDomain[] = [
  { domain: 'auth', models: (sequelize) => ({ ...authModels(sequelize) }) },
  {
    domain: 'wallet',
    models: (sequelize) => ({
      ...walletModels(sequelize),
      // Defined beside the import it serves rather than in wallet/models.ts.
      ImportPreview: importPreviewModel(sequelize),
      RiskAssessment: riskAssessmentModel(sequelize),
    }),
  },
  { domain: 'mfa', models: (sequelize) => ({ ...mfaModels(sequelize) }) },
];

const registries = new WeakMap<Sequelize, readonly RegisteredModel[]>();

/**
 * Every model of the project defined on `sequelize`, sorted by name. Defines them on the
 * first call for an instance; later calls return the same frozen list.
 *
 * @param sequelize - the database the models are bound to.
 * @example
 * for (const { name, table } of registeredModels(ctx.sequelize)) console.log(name, table);
 */
export function registeredModels(sequelize: Sequelize): readonly RegisteredModel[] {
  let registry = registries.get(sequelize);
  if (!registry) {
    registry = Object.freeze(collect(sequelize));
    registries.set(sequelize, registry);
  }
  return registry;
}

function collect(sequelize: Sequelize): RegisteredModel[] {
  const found: RegisteredModel[] = [];
  for (const { domain, models } of modelDomains) {
    for (const model of Object.values(models(sequelize))) {
      found.push({ domain, name: model.name, table: String(model.getTableName()), model });
    }
  }
  assert(found.length <= registeredModelsMax, 'more models than registeredModelsMax');
  const names = new Set(found.map((entry) => entry.name));
  assert.equal(names.size, found.length, 'two registered models share a name');
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The registered model named `name` on `sequelize`, or undefined. */
export function findRegisteredModel(
  sequelize: Sequelize,
  name: string,
): RegisteredModel | undefined {
  return registeredModels(sequelize).find((entry) => entry.name === name);
}
