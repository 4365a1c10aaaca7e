/**
 * What the herder needs from the plugin registry (declared here, where it is consumed).
 */
import type { ConfigInfos, ConfigKeyInfo, PluginInfo } from '../../herder/types.js';
import type { ConnectorPluginLookup } from '../worker/worker.js';

export interface PluginCatalog extends ConnectorPluginLookup {
  validateConnectorConfig(config: Readonly<Record<string, string>>): ConfigInfos;
  connectorPlugins(): PluginInfo[];
  /** Transformations then predicates, for GET /connector-plugins?connectorsOnly=false. */
  transformationPlugins(): PluginInfo[];
  /** The converters' class names, sorted, for GET /connector-plugins?connectorsOnly=false. */
  converterClassNames(): string[];
  /** Throws NotFoundError for an unknown plugin. */
  pluginConfig(name: string): ConfigKeyInfo[];
}

/** Connect's 400 message for a config that failed validation. */
export function invalidConfigMessage(infos: ConfigInfos): string {
  const lines: string[] = [];
  for (const c of infos.configs) for (const e of c.value.errors) lines.push(`${c.definition.name}: ${e}`);
  const type = infos.name.split('.').pop() ?? infos.name;
  return `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n${lines.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/${type}/config/validate\``;
}
