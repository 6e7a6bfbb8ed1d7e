package dev.liveupdate.sandbox;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** An informer handler for watchers that only care about each object's latest state: deletions are ignored. */
record AddOrUpdateHandler<T>(Consumer<T> sink) implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
        sink.accept(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
        sink.accept(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
    }
}
