import type { ModelJSON } from '../../core/model/format';

function save(blob: Blob, name: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Download a model as the CLI writes it: model.json and the weights file it names. */
export function downloadModel(m: { json: ModelJSON; weights: ArrayBuffer }) {
  save(
    new Blob([JSON.stringify(m.json, null, 1) + '\n'], { type: 'application/json' }),
    'model.json',
  );
  save(
    new Blob([m.weights], { type: 'application/octet-stream' }),
    m.json.weightsManifest[0].paths[0],
  );
}
