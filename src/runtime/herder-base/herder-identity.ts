/**
 * What every herder of the bundled runtime answers the same way from the plugin catalog and its identity: server
 * info, health (from one `isReady` question), plugin lists, plugin configs and config validation. The standalone and
 * the distributed herder extend it and add everything that depends on where their state lives.
 */
import type { ConfigInfos, ConfigKeyInfo, ConnectorConfig, HealthInfo, PluginInfo, ServerInfo } from '../../herder/types.js';
import type { PluginCatalog } from './plugin-catalog.js';
import { pluginList, validationWithRestartPolicy } from './herder-answers.js';

export interface HerderIdentity {
  plugins: PluginCatalog;
  version: string;
  clusterId: string;
}

export abstract class HerderBase {
  constructor(private readonly identity: HerderIdentity) {}

  /** True once the worker has completed startup (GET /health answers healthy from then on). */
  protected abstract isReady(): boolean;

  async serverInfo(): Promise<ServerInfo> {
    return { version: this.identity.version, commit: '', kafka_cluster_id: this.identity.clusterId };
  }

  async health(): Promise<HealthInfo> {
    return this.isReady()
      ? { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
      : { status: 'starting', message: 'Worker is still starting up.' };
  }

  async validateConnectorConfig(config: ConnectorConfig): Promise<ConfigInfos> {
    return validationWithRestartPolicy(this.identity.plugins.validateConnectorConfig(config), config);
  }

  async plugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    return pluginList(this.identity.plugins, connectorsOnly, this.identity.version);
  }

  async pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    return this.identity.plugins.pluginConfig(pluginName);
  }
}
