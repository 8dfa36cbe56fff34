#!/usr/bin/env bash
# End-to-end test of `fleet-coordinator --check-config`: each bad config is refused with
# exit status 1 and exactly one error line naming the field; good configs pass.
# usage: check_config_test.sh FLEET_COORDINATOR FIXTURE_DIR CONFIG_DIR
set -u
bin=$1 fixtures=$2 configs=$3
passed=0 failed=0

expect_error() {  # FILE EXPECTED_ERROR_LINE
  local file=$fixtures/$1 out rc errors
  out=$("$bin" --config "$file" --check-config 2>&1 >/dev/null)
  rc=$?
  errors=$(grep -c '^error: ' <<<"$out")
  if [ "$rc" -eq 1 ] && [ "$errors" -eq 1 ] && grep -qF -- "error: $file: $2" <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $1: rc=$rc errors=$errors, wanted: $2"
    echo "$out"
  fi
}

expect_ok() {  # FILE [ENV...]
  local file=$1 out rc
  shift
  out=$(env "$@" "$bin" --config "$file" --check-config 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ] && grep -q '^config ok: ' <<<"$out" && ! grep -qi 'change-me\|demo-password\|demo-api-token\|demo-token' <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $file: rc=$rc"
    echo "$out"
  fi
}

expect_error duplicate_id.json "xui_servers[1].id: duplicate id 1 (also used by xui_servers[0])"
expect_error missing_host.json "xui_servers[0].host: missing"
expect_error port_out_of_range.json "xui_servers[0].port: 70000 is out of range 1..65535"
expect_error negative_max_clients.json "xui_servers[0].max_clients: -10 is out of range 0.."
expect_error unknown_strategy.json "server_management.selection_strategy: unknown strategy \"fastest\""
expect_error threshold_out_of_range.json "server_management.load_balance_threshold: 1.2 is outside 0..1"
expect_error timeout_not_below_interval.json "server_management.health_check_timeout: 15s must be shorter than health_check_interval (10s)"
expect_error malformed.json "malformed JSON at line 3, column 19: "
expect_error does_not_exist.json "cannot read config file"
expect_error bad_two_factor_secret.json "xui_servers[0].two_factor_secret: is not base32"
expect_error bad_backup_every.json "coordinator.backup.every: \"6 hours\" is not a duration"
expect_error bad_backup_keep.json "coordinator.backup.keep: 0 is out of range 1..1000"
expect_error bad_webhook_url.json "coordinator.webhooks[0].url: must start with http:// or https://"
expect_error bad_webhook_event.json "coordinator.webhooks[0].events[0]: \"server.down\" matches no event type"

expect_ok "$configs/original.example.json"
expect_ok "$configs/demo-fleet.json"
expect_ok "$configs/notify.example.json"
expect_ok "$configs/original.example.json" XUI_SERVER_1_PASSWORD=from-env

# A two-factor secret is never printed, whether it is wrong or right.
out=$("$bin" --config "$fixtures/bad_two_factor_secret.json" --check-config 2>&1)
out+=$(env XUI_SERVER_1_TOTP_SECRET=JBSWY3DPEHPK3PXP "$bin" --config "$configs/original.example.json" --check-config 2>&1)
if ! grep -q 's3cret\|JBSWY3DPEHPK3PXP' <<<"$out"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL secret printed"; echo "$out"; fi

# Unknown flags are usage errors (status 2), distinct from invalid configs.
"$bin" --bogus >/dev/null 2>&1
if [ $? -eq 2 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL --bogus"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq 20 ]
