#!/bin/sh
# Writes the password and ACL files from the task's secrets, then runs the broker.
#   MQTT_PUBLISHER_USERNAME / MQTT_PUBLISHER_PASSWORD: millrace itself (connectors): read and write all
#   MQTT_FEED_USERNAME / MQTT_FEED_PASSWORD: data feeds: read all, write the filters in MQTT_FEED_TOPICS
#     (comma-separated; the CDK app sets them from the pipeline registry)
#   everyone/everyone: read-only, the WIS2 convention
set -eu
data=/mosquitto/data
mkdir -p "$data"
: > "$data/passwd"
mosquitto_passwd -b "$data/passwd" "$MQTT_PUBLISHER_USERNAME" "$MQTT_PUBLISHER_PASSWORD"
mosquitto_passwd -b "$data/passwd" "$MQTT_FEED_USERNAME" "$MQTT_FEED_PASSWORD"
mosquitto_passwd -b "$data/passwd" everyone everyone
cat > "$data/acl" <<ACL
user $MQTT_PUBLISHER_USERNAME
topic readwrite #

user everyone
topic read #

user $MQTT_FEED_USERNAME
topic read #
ACL
echo "$MQTT_FEED_TOPICS" | tr ',' '\n' | while read -r filter; do
  if [ -n "$filter" ]; then echo "topic write $filter" >> "$data/acl"; fi
done
chmod 0600 "$data/passwd" "$data/acl"
exec mosquitto -c /mosquitto/config/mosquitto.conf
