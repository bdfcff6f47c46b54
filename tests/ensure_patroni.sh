#!/bin/sh
# The Patroni failover round needs Debian's patroni and etcd-server. Install them once if missing.
command -v patroni >/dev/null 2>&1 && command -v etcd >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Patroni and etcd for the failover round (apt-get install patroni etcd-server)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patroni etcd-server >/dev/null && exit 0
fi
echo "The Patroni round needs patroni and etcd: run 'sudo apt-get install patroni etcd-server'." >&2
exit 1
