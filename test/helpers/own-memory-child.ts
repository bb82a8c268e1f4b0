/**
 * How to start a node child whose peak memory (`process.resourceUsage().maxRSS`) is its own. On
 * Linux a process started straight from this one inherits this process's high-water mark at exec
 * (a test worker or the bench holding big workbooks: 300 MB here made a 40 MB child report 304 MB), so
 * on POSIX the child is started by a shell that forks it (`; exit $?` keeps the shell from exec'ing it).
 */
export function ownMemoryChild(nodeArgs: string[]): [string, string[]] {
  if (process.platform === "win32") return [process.execPath, nodeArgs];
  return ["sh", ["-c", '"$0" "$@"; exit $?', process.execPath, ...nodeArgs]];
}
