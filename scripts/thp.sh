# Sourced by .ci/run and scripts/demo.sh: transparent huge pages while Go builds and tests run.
# Go's runtime leaves huge pages to the kernel's policy (it stopped asking for them in Go 1.21.1), and
# under the usual default, "madvise", every compiler, linker and test process faults its heap in 4 KiB
# pages, which on this kind of virtual machine costs about 40% of a cold build's CPU
# (bench/thp.sh measures it). thp_always switches the policy to "always" where it may (root, writable
# sysfs) and says so, else prints how to; thp_restore puts the previous policy back.
# KUBEFOUNDRY_THP=leave changes nothing.
_thp_file=/sys/kernel/mm/transparent_hugepage/enabled
_thp_was=""

# Prints the current policy; nothing (and success) where the kernel has no such setting.
thp_policy() { [ -r "$_thp_file" ] || return 0; sed -n 's/.*\[\([a-z+]*\)\].*/\1/p' "$_thp_file"; }

thp_always() {
  local now
  now=$(thp_policy)
  if [ -z "$now" ] || [ "$now" = always ] || [ "${KUBEFOUNDRY_THP:-}" = leave ]; then return 0; fi
  if [ -w "$_thp_file" ] && echo always 2>/dev/null > "$_thp_file"; then
    _thp_was=$now
    echo "    transparent huge pages: \"always\" for this run (was \"$now\", put back afterwards; KUBEFOUNDRY_THP=leave keeps it)"
  else
    echo "    tip: transparent huge pages are \"$now\" here; as root, 'echo always > $_thp_file' cuts a cold build's CPU by about 40%"
  fi
}

thp_restore() {
  [ -n "$_thp_was" ] || return 0
  echo "$_thp_was" 2>/dev/null > "$_thp_file" || true
  _thp_was=""
}
