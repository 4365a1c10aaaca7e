/**
 * Reading a key or trust store file, for the https listener (rest/tls-context.ts) and the Kafka clients
 * (kafka/tls-stores.ts): the bytes, and the type they are read as, by Java's rules so that a worker config means the
 * same here and on Connect: an unset type is Java's default (JKS), a PEM file needs `type=PEM`, and since JDK 9 a
 * store declared JKS that is really PKCS12 opens as PKCS12. JKS and JCEKS files themselves cannot be read by Node:
 * refused with the keytool command that converts them. Each caller words a failure as its own error (`fail`, told
 * whether it is a Java-only store); messages name keys and files, never passwords.
 */
import { readFileSync } from 'node:fs';
import { storeFormat } from './store-format.js';

/** The keys a store is configured with, as the caller names them (with its prefix, e.g. `listeners.https.`). */
export interface StoreKeyNames {
  locationKey: string;
  typeKey: string;
}

/** The file's bytes and the type it is read as; throws `fail(…)` when unreadable, a Java-only store, or not PEM/PKCS12. */
export function readStoreFile(path: string, declaredType: string | undefined, names: StoreKeyNames, fail: (message: string, javaStore: boolean) => Error): { bytes: Buffer; type: 'PEM' | 'PKCS12' } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fail(`${names.locationKey}=${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, false);
  }
  const format = storeFormat(bytes);
  const declared = (declaredType || 'JKS').toUpperCase();
  if (format === 'jks' || format === 'jceks') {
    const p12 = `${path.replace(/\.(jks|jceks|keystore|truststore)$/i, '')}.p12`;
    throw fail(
      `${names.locationKey}=${path} is a ${format === 'jceks' ? 'JCEKS' : 'JKS'} store, which Node's TLS cannot read: convert it to PKCS12 with ` +
        `keytool -importkeystore -srckeystore ${path} -srcstoretype ${format === 'jceks' ? 'JCEKS' : 'JKS'} -destkeystore ${p12} -deststoretype PKCS12, then set ${names.typeKey}=PKCS12 and ${names.locationKey}=${p12}`,
      true,
    );
  }
  if (declared === 'PEM') {
    if (format !== 'pem') throw fail(`${names.locationKey}=${path} is not a PEM file although ${names.typeKey}=PEM`, false);
    return { bytes, type: 'PEM' };
  }
  if (declared !== 'PKCS12' && declared !== 'JKS') throw fail(`${names.typeKey}=${declaredType} is not supported (PKCS12 or PEM; a JKS file must be converted to PKCS12)`, false);
  if (format === 'pem') throw fail(`${names.locationKey}=${path} is a PEM file: set ${names.typeKey}=PEM`, false);
  if (format !== 'pkcs12') throw fail(`${names.locationKey}=${path} is neither a PKCS12 nor a PEM file`, false);
  return { bytes, type: 'PKCS12' };
}
