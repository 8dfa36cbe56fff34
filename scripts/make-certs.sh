#!/usr/bin/env bash
# Makes the PKI of an agent link with the openssl CLI: a CA, a certificate for the
# coordinator and one per agent, all signed by that CA (mutual TLS: each end presents its
# certificate and trusts the CA).
# usage: scripts/make-certs.sh OUT_DIR AGENT_ID [AGENT_ID...]
#   OUT_DIR/ca.pem                  the CA certificate (both ends: "ca")
#   OUT_DIR/coordinator.{pem,key}   the coordinator's certificate and key ("cert", "key")
#   OUT_DIR/<AGENT_ID>.{pem,key}    each agent's certificate and key
# The CA key (OUT_DIR/ca.key) signs more agents later: run the script again with new ids.
# Keep it off the agents' hosts.
set -euo pipefail
if [ $# -lt 2 ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
out=$1
shift
days=${CERT_DAYS:-825}
mkdir -p "$out"
umask 077
if [ ! -s "$out/ca.key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$days" \
    -keyout "$out/ca.key" -out "$out/ca.pem" -subj "/CN=xui-fleet agent link CA" 2>/dev/null
fi
issue() { # name
  local name=$1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out/$name.key" -out "$out/$name.csr" -subj "/CN=$name" 2>/dev/null
  openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" \
    -CAcreateserial -days "$days" -out "$out/$name.pem" 2>/dev/null
  rm -f "$out/$name.csr"
  echo "$out/$name.pem $out/$name.key"
}
[ -s "$out/coordinator.pem" ] || issue coordinator
for id in "$@"; do
  case $id in
    *[!A-Za-z0-9_-]* | "") echo "make-certs: \"$id\" is not an agent id (letters, digits, - and _)" >&2; exit 2 ;;
  esac
  issue "$id"
done
chmod 644 "$out"/*.pem
