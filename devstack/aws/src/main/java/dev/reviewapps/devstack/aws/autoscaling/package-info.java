/**
 * The Auto Scaling stand-in (API version 2011-01-01): groups whose instances join ({@code Pending}
 * → {@code InService}) and leave ({@code Terminating} → gone) after configurable delays, with
 * scaling activities and AWS's {@code ValidationError} for capacities outside min..max.
 */
package dev.reviewapps.devstack.aws.autoscaling;
