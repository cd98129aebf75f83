import { audioSenderSource } from '../../../renderer/call/AudioMixer';

describe('audioSenderSource', () => {
  test('a shared screen with audio is sent mixed with the microphone', () => {
    expect(audioSenderSource({ sharingScreen: true, displayAudio: true })).toBe('mix');
  });

  test('a shared screen without audio leaves the plain microphone on the sender', () => {
    expect(audioSenderSource({ sharingScreen: true, displayAudio: false })).toBe('microphone');
  });

  test('without a share the microphone is sent, whatever audio track is at hand', () => {
    expect(audioSenderSource({ sharingScreen: false, displayAudio: true })).toBe('microphone');
    expect(audioSenderSource({ sharingScreen: false, displayAudio: false })).toBe('microphone');
  });
});
