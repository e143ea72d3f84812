// The broker's own latency floor, with no database and no Swift: nats.c publishes batches to a
// JetStream stream at a steady rate, as the outbox relay does, and a pull consumer on a second
// connection fetches and acknowledges them, as an event consumer does. It prints, per batch, the
// time from the batch's scheduled start to its last publish acknowledgement, and per message the
// time from its batch's scheduled start to its delivery to the consumer.
//
// Both are measured from the schedule, not from when the publisher got to it, so a publisher that
// falls behind counts its lateness. The client does little work per message, so what it prints is
// what nats-server and this machine cost an event on its way from the relay to a consumer.
//
//   nats-floor URL file|memory EVENTS_PER_SECOND SECONDS [EVENTS_PER_BATCH]
//
// Built and run by `scripts/bench nats-floor`.
#include <nats/nats.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void sleep_until_ms(double deadline) {
    double left;
    while ((left = deadline - now_ms()) > 0) {
        struct timespec pause = {(time_t)(left / 1e3), (long)(((long)(left * 1e6)) % 1000000000L)};
        nanosleep(&pause, NULL);
    }
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print_percentiles(const char *what, double *values, int count) {
    if (count == 0) { printf("  %s: nothing measured\n", what); return; }
    qsort(values, count, sizeof(double), compare_doubles);
    printf("  %s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms over %d\n", what,
           values[count / 2], values[(int)(count * 0.9)], values[(int)(count * 0.99)],
           values[count - 1], count);
}

static void check(natsStatus status, const char *what) {
    if (status == NATS_OK) return;
    fprintf(stderr, "nats-floor: %s: %s (%s)\n", what, natsStatus_GetText(status), nats_GetLastError(NULL));
    exit(1);
}

typedef struct {
    jsCtx *jetStream;
    const char *stream, *subject;
    double *deliveries;   // scheduled start → delivered, one per message
    int delivered, expected;
} Consumer;

// Fetches up to 1,024 messages at a time (as EventConsumer does), records each one's delivery
// latency from the schedule stamped in its payload, and acknowledges it.
static void *consume(void *argument) {
    Consumer *consumer = argument;
    jsSubOptions options;
    jsSubOptions_Init(&options);
    options.Stream = consumer->stream;
    options.Consumer = "floor";
    natsSubscription *subscription = NULL;
    check(js_PullSubscribe(&subscription, consumer->jetStream, consumer->subject, "floor", NULL, &options, NULL),
          "pull subscribe");
    double give_up = 0;
    while (consumer->delivered < consumer->expected) {
        natsMsgList batch = {0};
        natsStatus status = natsSubscription_Fetch(&batch, subscription, 1024, 500, NULL);
        if (status == NATS_TIMEOUT) {
            if (give_up == 0) give_up = now_ms() + 5000;
            if (now_ms() > give_up) break;
            continue;
        }
        check(status, "fetch");
        give_up = 0;
        double arrived = now_ms();
        for (int i = 0; i < batch.Count; i++) {
            double scheduled;
            memcpy(&scheduled, natsMsg_GetData(batch.Msgs[i]), sizeof scheduled);
            if (consumer->delivered < consumer->expected)
                consumer->deliveries[consumer->delivered++] = arrived - scheduled;
            natsMsg_Ack(batch.Msgs[i], NULL);
        }
        natsMsgList_Destroy(&batch);
    }
    natsSubscription_Destroy(subscription);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: nats-floor URL file|memory EVENTS_PER_SECOND SECONDS [EVENTS_PER_BATCH]\n");
        return 2;
    }
    const char *url = argv[1];
    int memory = strcmp(argv[2], "memory") == 0;
    double rate = atof(argv[3]);
    int seconds = atoi(argv[4]);
    int per_batch = argc > 5 ? atoi(argv[5]) : 50;
    int batches = (int)(rate * seconds / per_batch);
    double batch_interval = 1e3 * per_batch / rate;
    const char *stream = memory ? "FLOOR_MEMORY" : "FLOOR_FILE";
    const char *subject = memory ? "floor.memory" : "floor.file";

    natsConnection *publishing, *consuming;
    check(natsConnection_ConnectTo(&publishing, url), "connect");
    check(natsConnection_ConnectTo(&consuming, url), "connect");
    jsOptions publishOptions;
    jsOptions_Init(&publishOptions);
    publishOptions.PublishAsync.MaxPending = 4096;
    jsCtx *publisher, *consumerContext;
    check(natsConnection_JetStream(&publisher, publishing, &publishOptions), "JetStream context");
    check(natsConnection_JetStream(&consumerContext, consuming, NULL), "JetStream context");

    // The stream and consumer as Emporium's NATSBroker declares them: limits retention for 7 days,
    // a 10-minute de-duplication window, explicit acknowledgement.
    jsStreamConfig streamConfig;
    jsStreamConfig_Init(&streamConfig);
    streamConfig.Name = stream;
    streamConfig.Subjects = &subject;
    streamConfig.SubjectsLen = 1;
    streamConfig.Storage = memory ? js_MemoryStorage : js_FileStorage;
    streamConfig.Retention = js_LimitsPolicy;
    streamConfig.Duplicates = (int64_t)600e9;
    streamConfig.MaxAge = (int64_t)7 * 24 * 3600 * 1000000000LL;
    jsStreamInfo *streamInfo = NULL;
    check(js_AddStream(&streamInfo, publisher, &streamConfig, NULL, NULL), "add stream");
    jsStreamInfo_Destroy(streamInfo);
    jsConsumerConfig consumerConfig;
    jsConsumerConfig_Init(&consumerConfig);
    consumerConfig.Durable = "floor";
    consumerConfig.AckPolicy = js_AckExplicit;
    consumerConfig.MaxAckPending = 20000;
    jsConsumerInfo *consumerInfo = NULL;
    check(js_AddConsumer(&consumerInfo, publisher, stream, &consumerConfig, NULL, NULL), "add consumer");
    jsConsumerInfo_Destroy(consumerInfo);

    Consumer consumer = {consumerContext, stream, subject, malloc(sizeof(double) * batches * per_batch), 0,
                         batches * per_batch};
    double *acknowledged = malloc(sizeof(double) * batches);
    pthread_t consumerThread;
    pthread_create(&consumerThread, NULL, consume, &consumer);

    // A payload the size of a typical event envelope; its first bytes carry the batch's schedule.
    char payload[400];
    memset(payload, 'x', sizeof payload);
    char messageId[32];
    long sequence = 0;
    double start = now_ms() + 100;
    for (int b = 0; b < batches; b++) {
        double scheduled = start + b * batch_interval;
        sleep_until_ms(scheduled);
        memcpy(payload, &scheduled, sizeof scheduled);
        for (int i = 0; i < per_batch; i++) {
            natsMsg *message;
            check(natsMsg_Create(&message, subject, NULL, payload, sizeof payload), "message");
            snprintf(messageId, sizeof messageId, "floor-%ld", sequence++);  // unique: the stream is new
            check(natsMsgHeader_Set(message, "Nats-Msg-Id", messageId), "header");
            check(js_PublishMsgAsync(publisher, &message, NULL), "publish");
        }
        jsPubOptions waitOptions;
        jsPubOptions_Init(&waitOptions);
        waitOptions.MaxWait = 10000;
        check(js_PublishAsyncComplete(publisher, &waitOptions), "publish acknowledgements");
        acknowledged[b] = now_ms() - scheduled;
    }
    pthread_join(consumerThread, NULL);

    printf("nats-server, %s storage, %.0f events/s in batches of %d for %d s:\n", memory ? "memory" : "file",
           rate, per_batch, seconds);
    print_percentiles("batch scheduled -> all publishes acknowledged", acknowledged, batches);
    print_percentiles("batch scheduled -> event delivered to the consumer", consumer.deliveries, consumer.delivered);
    if (consumer.delivered < consumer.expected)
        printf("  only %d of %d events were delivered\n", consumer.delivered, consumer.expected);
    // Each run starts from an empty stream, so that its message ids are new to the de-duplication
    // window and its figures do not depend on the runs before it.
    check(js_DeleteStream(publisher, stream, NULL, NULL), "delete stream");
    jsCtx_Destroy(publisher);
    jsCtx_Destroy(consumerContext);
    natsConnection_Destroy(publishing);
    natsConnection_Destroy(consuming);
    return consumer.delivered == consumer.expected ? 0 : 1;
}
