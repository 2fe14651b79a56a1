#!/usr/bin/env bash
# Installs the Debian packages the tests drive as real peers, only those a machine lacks:
# nats-server (JetStream workers), chromium (the Angular app in a real browser),
# python3-boto3 and awscli (fidelity of the emulator against botocore and the AWS CLI).
# Needs root (CI runs as root); without it, prints what is missing and carries on, and the
# tests that need a missing peer say so.
set -euo pipefail

missing=()
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || missing+=(python3-boto3)
[ -x /usr/bin/aws ] || missing+=(awscli)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "system packages: not root, cannot install ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: installed ${missing[*]}"
