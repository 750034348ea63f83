/** Plain aligned output: benchmarks print figures, ratios and the setting they were taken in. */
export function heading(text: string): void {
  console.log(`\n## ${text}`);
}

export function row(label: string, value: string): void {
  console.log(`${label.padEnd(58)} ${value}`);
}

export const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')} /s`;
export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;

export function machine(): void {
  console.log(machineDescription());
}

export function machineDescription(): string {
  const { cpus, totalmem } = process.getBuiltinModule('node:os');
  return `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), ${megabytes(totalmem())} RAM`;
}
