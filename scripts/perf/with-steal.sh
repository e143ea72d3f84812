# Sourced by the benchmark scripts.
#
# CPU time the hypervisor took from this machine while `$@` ran, as a share of all CPU time: on a
# shared host it can halve a run's figures, so each run reports it beside them.
with_steal() {
  local before after
  before=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat)
  "$@"
  local status=$?
  after=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat)
  awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " "); t = y[1] - x[1];
    printf "    (CPU steal during the run: %.0f%%; above a few percent the figures are not comparable)\n", (t > 0 ? 100 * (y[2] - x[2]) / t : 0) }'
  return $status
}
