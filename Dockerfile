# The production runtime as a container image: any component of `millrace run` (a Streams
# application, the wis2 cache step, the audit ingest) and the other commands, against any Kafka.
#   docker build -t millrace .
#   docker run -e MILLRACE_KAFKA_BOOTSTRAP_SERVERS=b-1.example:9098 -e MILLRACE_KAFKA_AUTH=iam \
#     -p 8080:8080 millrace run telemetry
# The image carries the cli module's distribution (bin/ + lib/): no embedded broker, MQTT or S3.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -pl cli -am package -DskipTests -Dspotless.apply.skip

FROM eclipse-temurin:17-jre
RUN useradd --system --home /var/lib/millrace --create-home millrace
COPY --from=build /src/cli/target/distribution/millrace /opt/millrace
USER millrace
WORKDIR /var/lib/millrace
# Reachable from outside the container; the state (Streams stores) lives in the work dir.
ENV MILLRACE_HTTP_HOST=0.0.0.0 \
    MILLRACE_DATA_DIR=/var/lib/millrace \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
ENTRYPOINT ["/opt/millrace/bin/millrace"]
CMD ["run", "telemetry"]
