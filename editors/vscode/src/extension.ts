// The Rampart extension: starts `rampart lsp` over stdio and adds a command that runs
// `rampart check <file>` on a jurisdiction file in a terminal. Highlighting, snippets and the
// jurisdiction JSON schema are static contributions (see package.json).

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let checkTerminal: vscode.Terminal | undefined;
/** Watchers of the files the server reads besides open editors; made once, on activation. */
let watchers: vscode.FileSystemWatcher[] = [];

/** The `rampart` binary: the `rampart.path` setting, or `rampart` on PATH. */
function rampartBinary(): string {
  const configured = vscode.workspace.getConfiguration('rampart').get<string>('path', '').trim();
  if (!configured) {
    return 'rampart';
  }
  // A relative path is taken relative to the first workspace folder, like other tools' settings.
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder && !path.isAbsolute(configured) && /[\\/]/.test(configured)) {
    return path.join(folder.uri.fsPath, configured);
  }
  return configured;
}

/** True when `command` names an executable file, directly or through PATH (and PATHEXT). */
function isExecutable(command: string): boolean {
  const runnable = (file: string) => {
    try {
      fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  const extensions = process.platform === 'win32'
    ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')]
    : [''];
  const candidates = /[\\/]/.test(command)
    ? [command]
    : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  return candidates.some((file) => extensions.some((ext) => runnable(file + ext)));
}

/** Says once that the server cannot start, with a way to the setting that fixes it. */
async function reportUnstartable(command: string, why: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `Rampart: could not start \`${command} lsp\` (${why}). Set "rampart.path" to the rampart binary.`,
    'Open Settings',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'rampart.path');
  }
}

async function startServer(): Promise<void> {
  if (!vscode.workspace.getConfiguration('rampart').get<boolean>('server.enable', true)) {
    return;
  }
  const command = rampartBinary();
  // Checked first: the language client would show a message of its own and then fail, which
  // made two pop-ups for one missing binary.
  if (!isExecutable(command)) {
    await reportUnstartable(command, 'no such executable');
    return;
  }
  const serverOptions: ServerOptions = {
    run: { command, args: ['lsp'], transport: TransportKind.stdio },
    debug: { command, args: ['lsp'], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'rampart' },
    ],
    synchronize: {
      fileEvents: watchers,
    },
    outputChannel: output,
  };
  client = new LanguageClient('rampart', 'Rampart Language Server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    await reportUnstartable(command, error instanceof Error ? error.message : String(error));
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restartServer(): Promise<void> {
  await stopServer();
  await startServer();
}

/** Runs `rampart check <file> [rampart.check.args]` in a terminal, for a jurisdiction file. */
async function checkJurisdiction(resource?: vscode.Uri): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  const uri = resource ?? document?.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(
      'Rampart: open a jurisdiction file (a .json file saved on disk) first.',
    );
    return;
  }
  // Check what is on disk: save the editor's changes first.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) {
    await open.save();
  }
  const extra = vscode.workspace.getConfiguration('rampart').get<string[]>('check.args', []);
  const cwd = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  checkTerminal?.dispose();
  // The terminal runs the binary itself (no shell), so no quoting is needed on any platform;
  // it stays open after `rampart check` exits so that its report can be read.
  checkTerminal = vscode.window.createTerminal({
    name: `Rampart: check ${path.basename(uri.fsPath)}`,
    shellPath: rampartBinary(),
    shellArgs: ['check', uri.fsPath, ...extra],
    cwd,
  });
  checkTerminal.show();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Rampart');
  // Policies `use` one another and tests read JSON fixtures: the server hears when they change.
  watchers = [
    vscode.workspace.createFileSystemWatcher('**/*.rampart'),
    vscode.workspace.createFileSystemWatcher('**/*.json'),
  ];
  context.subscriptions.push(
    output,
    ...watchers,
    vscode.commands.registerCommand('rampart.checkJurisdiction', checkJurisdiction),
    vscode.commands.registerCommand('rampart.restartServer', restartServer),
    vscode.window.onDidCloseTerminal((terminal) => {
      if (terminal === checkTerminal) {
        checkTerminal = undefined;
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('rampart.path') || event.affectsConfiguration('rampart.server.enable')) {
        await restartServer();
      }
    }),
  );
  await startServer();
}

export async function deactivate(): Promise<void> {
  await stopServer();
}
