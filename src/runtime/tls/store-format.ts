/**
 * What a key or trust store file holds, told from its first bytes — for the https listener (rest/tls-context.ts) and
 * the Kafka clients (kafka/tls-stores.ts), which both refuse Java's own formats (Node cannot read them) and read a
 * store whose type is unset by its content, as Java 9+ does.
 */

const JKS_MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;

export type StoreFormat = 'jks' | 'jceks' | 'pkcs12' | 'pem' | 'unknown';

export function storeFormat(bytes: Buffer): StoreFormat {
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  if (magic === JKS_MAGIC) return 'jks';
  if (magic === JCEKS_MAGIC) return 'jceks';
  if (bytes.subarray(0, 4096).toString('latin1').includes('-----BEGIN ')) return 'pem';
  if (bytes[0] === 0x30) return 'pkcs12'; // a DER SEQUENCE, as a PKCS12 file starts
  return 'unknown';
}
