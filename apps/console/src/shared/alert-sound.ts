// The red-alarm sound: a WebAudio beep pattern, synthesised (no audio file to download). Browsers
// start audio only after a user gesture, so the context is unlocked on the first click or key.

export class AlertSound {
  private ctx: AudioContext | null = null;
  muted = false;
  /** How many alerts were sounded (tests read it from the page). */
  played = 0;

  unlock(): void {
    try {
      this.ctx ??= new AudioContext();
      if (this.ctx.state === 'suspended') void this.ctx.resume();
    } catch {
      this.ctx = null; // no audio device: the flash still shows
    }
  }

  /** Three short 880 Hz beeps. */
  beep(): void {
    this.played += 1;
    document.body.dataset['alerts'] = String(this.played);
    if (this.muted) return;
    this.unlock();
    const ctx = this.ctx;
    if (!ctx) return;
    const start = ctx.currentTime + 0.02;
    for (let i = 0; i < 3; i++) {
      const t = start + i * 0.28; // 0.18 s tone, 0.1 s gap
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.2);
    }
  }
}
