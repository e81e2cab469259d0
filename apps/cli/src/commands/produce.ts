/** `bmpwatch produce`: placeholder until the Kafka producer lands (being written with the server). */
export async function runProduce(_argv: string[]): Promise<number> {
  process.stderr.write('bmpwatch produce: not available yet\n');
  return 2;
}
