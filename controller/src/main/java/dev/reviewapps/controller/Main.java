package dev.reviewapps.controller;

/** Entry point of {@code review-apps.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("review-apps: controller | reviewctl");
  }
}
