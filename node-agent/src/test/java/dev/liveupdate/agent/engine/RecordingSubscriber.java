package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Subscriber;
import dev.liveupdate.client.protocol.Notice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A subscriber that records the notices it gets and reacts to each as the test says (ack, hang up, nothing). */
final class RecordingSubscriber implements Subscriber {
    final String name;
    final List<Notice> received = new CopyOnWriteArrayList<>();
    private final Consumer<Notice> reaction;

    RecordingSubscriber(String name, Consumer<Notice> reaction) {
        this.name = name;
        this.reaction = reaction;
    }

    @Override
    public String who() {
        return name;
    }

    @Override
    public boolean send(Notice notice) {
        received.add(notice);
        reaction.accept(notice);
        return true;
    }

    List<String> kinds() {
        return received.stream().map(Notice::kind).toList();
    }
}
