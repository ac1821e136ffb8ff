/** The web file/folder picker: a hidden `<input type=file multiple [webkitdirectory]>`. */
import type { PickedFile } from './platform';

/**
 * Opens the browser's picker. Resolves to [] when the user cancels (the `cancel` event, Chromium ≥ 113).
 *
 * @param folder true to pick a whole folder (recursively, `webkitdirectory`).
 */
export function pickWithInput(folder: boolean): Promise<PickedFile[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    if (folder) input.webkitdirectory = true;
    input.style.display = 'none';
    input.dataset.testid = folder ? 'platform-pick-folder' : 'platform-pick-files';
    const done = (files: PickedFile[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () =>
      done(
        Array.from(input.files ?? []).map((file) => ({ name: file.webkitRelativePath || file.name, file })),
      ),
    );
    input.addEventListener('cancel', () => done([]));
    document.body.appendChild(input);
    input.click();
  });
}
