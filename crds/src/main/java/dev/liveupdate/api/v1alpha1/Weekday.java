package dev.liveupdate.api.v1alpha1;

/** Day of the week. */
public enum Weekday {
    Mon, Tue, Wed, Thu, Fri, Sat, Sun
}
